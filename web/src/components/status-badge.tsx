/** An execution's status, coloured by outcome (RUNNING, SUCCEEDED, FAILED, …). */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`status status-${status.toLowerCase().replace(/_/g, '-')}`}>{status}</span>;
}
