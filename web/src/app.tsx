import { useEffect } from 'preact/hooks';
import { pages } from './pages';
import { interceptLinks, useLocation } from './router';

export function App() {
  const url = useLocation();
  const page = pages.find((p) => p.path === url.pathname);
  useEffect(() => {
    document.title = `${page?.title ?? 'Not found'} · local console`;
  }, [page]);
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
