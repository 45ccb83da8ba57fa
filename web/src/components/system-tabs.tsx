/** Links to the same page for each system (and model), the current one marked. */
export function SystemTabs({
  label,
  items,
  current,
}: {
  label: string;
  items: { key: string; text: string; href: string }[];
  current: string | undefined;
}) {
  return (
    <nav class="tabs" aria-label={label}>
      {items.map((item) => (
        <a key={item.key} href={item.href} aria-current={item.key === current ? 'page' : undefined}>
          {item.text}
        </a>
      ))}
    </nav>
  );
}
