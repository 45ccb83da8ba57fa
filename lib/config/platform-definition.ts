/**
 * The platform's own functions and state machines: what every system shares (the stream
 * simulator, ingest, archive, the model lifecycle). They know no system by name: the systems
 * are handed to them (see pipeline-definition.ts and systems/index.ts).
 */
import {
  type EventSourceDefinition,
  type FunctionDefinition,
  SCHEDULED_TIME,
  type StateMachineDefinition,
  type SystemDefinition,
} from './system-definition.js';

export const platformFunctions = {
  producer: {
    entry: 'lambdas/producer/index.ts',
    description: "Stream simulator: replays a system's data set into Kinesis from a cursor kept in S3",
    // The largest data set, sales' 1,115 stores × 942 days (1.02 M rows), peaks at about 430 MB
    // while its first run writes the initial share: more than 512 MB leaves no headroom.
    memoryMb: 1024,
    timeoutSeconds: 900,
    access: {
      // Users put their own CSV under uploads/; the producer keeps its cursor under state/.
      dataBucket: { read: ['uploads/', 'state/'], write: ['datasets/', 'state/', 'quarantine/'] },
      // Reads back only after a failed run, to send just the rows of its slice not yet on the stream.
      stream: 'writeAndReadBack',
    },
    // Another run of the same system moved the cursor first: the retry finds its slice taken.
    errors: { permanent: ['InputError'], retryable: ['PreconditionFailedError'] },
  },
  ingest: {
    entry: 'lambdas/ingest/index.ts',
    description: 'Validates stream records; valid ones to raw/, invalid ones to quarantine/ with reasons',
    memoryMb: 512,
    timeoutSeconds: 60,
    // Reads archive/ only to see whether a delivered-again run was archived meanwhile.
    access: { dataBucket: { read: ['archive/'], write: ['raw/', 'quarantine/'] }, stream: 'read' },
  },
  archive: {
    entry: 'lambdas/archive/index.ts',
    description: 'Moves the raw objects a run consumed to archive/ (idempotent)',
    memoryMb: 256,
    timeoutSeconds: 300,
    access: {
      dataBucket: { read: ['raw/', 'archive/'], write: ['archive/'], delete: ['raw/'] },
      // Runs' manifests (what they consumed) are read; the archive's own plan and summary written.
      artifactsBucket: { read: ['runs/'], write: ['runs/*/archive/'] },
    },
    errors: { permanent: ['InputError'] },
  },
  promote: {
    entry: 'lambdas/promote/index.ts',
    description:
      "Champion/challenger decision on a train step's scores, or a version promoted by hand, for any system's model",
    memoryMb: 512,
    timeoutSeconds: 120,
    access: { artifactsBucket: { read: ['models/'], write: ['models/', 'runs/'] } },
    errors: { permanent: ['InputError', 'RegistryError'] },
  },
  rollback: {
    entry: 'lambdas/rollback/index.ts',
    description: "Makes the previous (or a named former) champion of any system's model the champion again",
    memoryMb: 512,
    timeoutSeconds: 120,
    access: { artifactsBucket: { read: ['models/'], write: ['models/'] } },
    errors: { permanent: ['InputError', 'RollbackError'] },
  },
} as const satisfies Record<string, FunctionDefinition>;

export const ingestEventSource: EventSourceDefinition = {
  functionKey: 'ingest',
  batchSize: 500,
  maxBatchingWindowSeconds: 5,
  retryAttempts: 3,
  maxRecordAgeSeconds: 6 * 3600,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  parallelizationFactor: 1,
  startingPosition: 'TRIM_HORIZON',
};

export const platformStateMachines: readonly StateMachineDefinition[] = [
  {
    name: 'archive',
    aslFile: 'state-machines/archive.asl.json',
    functionPlaceholders: { ArchiveFunctionArn: 'archive' },
    // On demand: each retrain archives exactly the raw data it trained on.
  },
  {
    name: 'promote',
    aslFile: 'state-machines/promote.asl.json',
    functionPlaceholders: { PromoteFunctionArn: 'promote' },
  },
  {
    name: 'rollback',
    aslFile: 'state-machines/rollback.asl.json',
    functionPlaceholders: { RollbackFunctionArn: 'rollback' },
  },
];

/** `<system>-stream`: the producer on the system's schedule, the same ASL for every system. */
export function streamStateMachine(system: SystemDefinition): StateMachineDefinition | undefined {
  if (!system.stream) return undefined;
  return {
    name: `${system.name}-stream`,
    aslFile: 'state-machines/stream.asl.json',
    functionPlaceholders: { ProducerFunctionArn: 'producer' },
    values: { Pipeline: system.name },
    schedule: {
      ...system.stream.schedule,
      input: { ...system.stream.schedule.input, scheduledTime: SCHEDULED_TIME },
    },
  };
}

/** The construct id of a state machine, from its name (`water-retrain` → `WaterRetrainStateMachine`). */
export function stateMachineId(definition: { readonly name: string }): string {
  return `${pascalCase(definition.name)}StateMachine`;
}

/** `water-train` → `WaterTrain`: construct ids from keys. */
export function pascalCase(key: string): string {
  return key
    .split(/[-_]/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
