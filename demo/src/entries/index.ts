/** index.html: the catalog, integrated through the script tag. */
import '../styles.css';
import { bootScriptTagPage } from '../boot.js';
import { renderCatalog } from '../views/catalog-view.js';
import { simulatedNote } from '../layout.js';

void bootScriptTagPage('shop', (root, ctx) =>
  renderCatalog(root, ctx, {
    note: simulatedNote(),
    category: new URLSearchParams(location.search).get('category'),
    onCategory: (category) => {
      const url = new URL(location.href);
      if (category) url.searchParams.set('category', category);
      else url.searchParams.delete('category');
      history.replaceState(null, '', url);
    },
  }),
);
