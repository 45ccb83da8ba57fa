import { useEffect } from 'preact/hooks';
import type { SystemsView } from './api';
import { pages } from './pages';
import { interceptLinks, useLocation } from './router';
import { systemNavEntries, systemPages } from './system-pages';
import { usePoll } from './use-poll';

export function App() {
  const url = useLocation();
  // Systems' own pages: listed when the server runs the system, reachable by address at once.
  const systems = usePoll<SystemsView>('/api/systems', 60_000);
  const systemNav = systemNavEntries(systems.data?.systems ?? (systems.error ? undefined : []));
  const systemPage = systemPages.find((p) => p.path === url.pathname);
  const page =
    pages.find((p) => p.path === url.pathname) ??
    (systemPage && {
      path: systemPage.path,
      title: systemNav.find((p) => p.path === systemPage.path)?.title ?? systemPage.system,
      component: systemPage.component,
    });
  useEffect(() => {
    document.title = `${page?.title ?? 'Not found'} · local console`;
  }, [page?.title]);
  const Page = page?.component;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: one listener turns same-site links into page changes
    // biome-ignore lint/a11y/useKeyWithClickEvents: links keep their own keyboard behaviour
    <div class="layout" onClick={interceptLinks}>
      <header>
        <a href="/" class="brand">
          smlp · local console
        </a>
        <nav aria-label="Pages">
          {pages
            .filter((p) => p.parent === undefined)
            .map((p) => (
              <a
                key={p.path}
                href={p.path}
                aria-current={p === page || p.path === page?.parent ? 'page' : undefined}
              >
                {p.title}
              </a>
            ))}
          {systemNav.map((p) => (
            <a key={p.path} href={p.path} aria-current={p.path === page?.path ? 'page' : undefined}>
              {p.title}
            </a>
          ))}
        </nav>
      </header>
      <main>
        {Page ? (
          <Page />
        ) : (
          <>
            <h1>Not found</h1>
            <p>
              No page at <code>{url.pathname}</code>.
            </p>
          </>
        )}
      </main>
    </div>
  );
}
