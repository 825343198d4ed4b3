/** product.html?id=N: one product, integrated through the script tag. */
import '../styles.css';
import { bootScriptTagPage } from '../boot.js';
import { renderProduct } from '../views/product-view.js';

void bootScriptTagPage(null, (root, ctx) => {
  const product = renderProduct(root, ctx, new URLSearchParams(location.search).get('id'));
  document.title = `${product ? product.title : 'Product not found'} · Tacit Supply`;
});
