/** The IAM check's report: what was checked per role, what was denied, what was granted and never used. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { callerId } from './call-recorder.js';
import type { Grant, Verdict } from './policy-check.js';

export interface IamReportInput {
  readonly verdicts: readonly Verdict[];
  readonly grants: readonly Grant[];
  readonly unused: readonly Grant[];
  readonly unmappedRoles: readonly string[];
  /** SDK calls recorded in all (before taking distinct requests). */
  readonly calls: number;
}

const cell = (text: string) => text.replaceAll('|', '\\|');
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;

/** Writes the report as Markdown and returns a plain-text summary for the console. */
export function writeIamReport(file: string, input: IamReportInput): { summary: string } {
  const { verdicts, unused } = input;
  const recorded = verdicts.filter((v) => v.request.by === 'recorded');
  const denied = verdicts.filter((v) => v.decision !== 'Allowed');
  const headline = `${input.calls} AWS calls recorded; ${recorded.length} distinct (role, action, resource) requests from them and ${verdicts.length - recorded.length} made by AWS services on the roles' behalf checked against the synthesized policies: ${denied.length} denied; ${unused.length} of ${input.grants.length} grants never used.`;

  // Calls checked, grouped per role and action (object keys collapse into a count and an example).
  const groups = new Map<string, { caller: string; action: string; by: string; resources: Set<string> }>();
  for (const v of verdicts) {
    const key = `${callerId(v.request.caller)}|${v.request.action}|${v.request.by}`;
    const group = groups.get(key) ?? {
      caller: callerId(v.request.caller),
      action: v.request.action,
      by: v.request.by,
      resources: new Set<string>(),
    };
    group.resources.add(v.request.resource);
    groups.set(key, group);
  }
  const checked = [...groups.values()].sort((a, b) =>
    `${a.caller}${a.action}`.localeCompare(`${b.caller}${b.action}`),
  );

  const lines = [
    '# IAM check',
    '',
    headline,
    '',
    '## Denied',
    '',
    ...(denied.length === 0
      ? ['Nothing.']
      : [
          row(['role', 'action', 'resource', 'made by', 'why']),
          row(['---', '---', '---', '---', '---']),
          ...denied.map((v) =>
            row([callerId(v.request.caller), v.request.action, v.request.resource, v.request.by, v.why]),
          ),
        ]),
    '',
    '## Granted but never used',
    '',
    row(['role', 'policy, statement', 'action', 'resource', 'condition']),
    row(['---', '---', '---', '---', '---']),
    ...unused.map((g) =>
      row([g.caller, `${g.policy} #${g.statement}`, g.action, g.resource, g.condition ?? '']),
    ),
    '',
    '## Checked, per role and action',
    '',
    row(['role', 'action', 'made by', 'resources', 'for example']),
    row(['---', '---', '---', '---', '---']),
    ...checked.map((g) =>
      row([g.caller, g.action, g.by, String(g.resources.size), [...g.resources][0] ?? '']),
    ),
    '',
    '## Roles not checked',
    '',
    ...(input.unmappedRoles.length === 0
      ? ['None.']
      : input.unmappedRoles.map(
          (role) => `- ${role} (no function, state machine or schedule of the definition uses it)`,
        )),
    '',
  ];
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, lines.join('\n'));

  const summary = [
    `IAM check: ${headline}`,
    ...(unused.length > 0 ? ['Granted but never used (roles grouped where the grant is the same):'] : []),
    ...groupUnused(unused).map((line) => `  ${line}`),
    `Report: ${path.relative(process.cwd(), file)}`,
  ].join('\n');
  return { summary };
}

/** `logs:A, logs:B on * (if …): state machines archive, promote` — one line per grant shared by the same roles. */
function groupUnused(unused: readonly Grant[]): string[] {
  const rolesByGrant = new Map<string, { action: string; rest: string; roles: string[] }>();
  for (const g of unused) {
    const rest = `${g.resource}${g.condition ? ` if ${g.condition}` : ''}`;
    const key = `${g.action}\u0000${rest}`;
    const entry = rolesByGrant.get(key) ?? { action: g.action, rest, roles: [] };
    if (!entry.roles.includes(g.caller)) entry.roles.push(g.caller);
    rolesByGrant.set(key, entry);
  }
  const lines = new Map<string, { actions: string[]; rest: string; roles: string[] }>();
  for (const { action, rest, roles } of rolesByGrant.values()) {
    const key = `${rest}\u0000${roles.join(',')}`;
    const line = lines.get(key) ?? { actions: [], rest, roles };
    line.actions.push(action);
    lines.set(key, line);
  }
  return [...lines.values()].map(
    ({ actions, rest, roles }) => `${actions.join(', ')} on ${rest}: ${rolesText(roles)}`,
  );
}

function rolesText(roles: readonly string[]): string {
  const byKind = new Map<string, string[]>();
  for (const role of roles) {
    const [kind = '', ...name] = role.split(':');
    byKind.set(kind, [...(byKind.get(kind) ?? []), name.join(':')]);
  }
  const plural: Record<string, string> = {
    function: 'functions',
    'state-machine': 'state machines',
    schedule: 'schedules',
  };
  return [...byKind]
    .map(
      ([kind, names]) =>
        `${names.length > 1 ? (plural[kind] ?? kind) : kind.replace('-', ' ')} ${names.join(', ')}`,
    )
    .join('; ');
}
