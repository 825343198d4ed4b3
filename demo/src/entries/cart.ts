/** cart.html: the shop's cart and checkout, integrated through the script tag. */
import '../styles.css';
import { bootScriptTagPage } from '../boot.js';
import { renderCart } from '../views/cart-view.js';

void bootScriptTagPage('cart', renderCart);
