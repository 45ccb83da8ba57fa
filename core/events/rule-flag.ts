/**
 * Whether a rule with a `disableFlag` is on, given the context (`-c <flag>=false` on AWS, the
 * local runtime's context locally). Only `false` turns it off; unset or `true` leaves it on; any
 * other value is a typo that would otherwise leave an unwanted reaction running.
 */
export function ruleEnabled(
  rule: { readonly name: string; readonly disableFlag?: string },
  context: (key: string) => unknown,
): boolean {
  if (rule.disableFlag === undefined) return true;
  const value = context(rule.disableFlag);
  if (value === undefined || value === null || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(
    `Context ${rule.disableFlag} (turns event rule "${rule.name}" off) must be true or false, got ${JSON.stringify(value)}`,
  );
}
