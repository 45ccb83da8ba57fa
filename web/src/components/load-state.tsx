import type { ComponentChildren } from 'preact';

/** What a polled section shows before its first answer, and when the server stops answering. */
export function LoadState<T>({
  data,
  error,
  children,
}: {
  data: T | undefined;
  error: string | undefined;
  children: (data: T) => ComponentChildren;
}) {
  return (
    <>
      {error && (
        <p class="error" role="alert">
          Could not refresh: {error}
        </p>
      )}
      {data === undefined ? !error && <p class="muted">Loading…</p> : children(data)}
    </>
  );
}
