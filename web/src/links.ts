/** The console's page addresses for a state machine and an execution (the pages read them back). */
export function machinePage(machine: string): string {
  return `/state-machine?name=${encodeURIComponent(machine)}`;
}

export function executionPage(machine: string, execution: string): string {
  return `/execution?machine=${encodeURIComponent(machine)}&name=${encodeURIComponent(execution)}`;
}

export function machineApi(machine: string): string {
  return `/api/state-machines/${encodeURIComponent(machine)}`;
}

export function executionApi(machine: string, execution: string): string {
  return `/api/executions/${encodeURIComponent(machine)}/${encodeURIComponent(execution)}`;
}
