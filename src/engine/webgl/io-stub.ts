/**
 * What tfjs-core's browser platform (`platforms/platform_browser.js`) gets for its `../io/*` imports in the
 * browser build (vite.config.ts). The platform registers tf.io's model stores (IndexedDB, localStorage) so
 * that `model.save('indexeddb://…')` works; Tacit never saves or loads a TensorFlow.js model (it verifies
 * and decodes its own files), and the stores cost ~2.5 kB gzip. These stand-ins take the registration and
 * do nothing.
 */
export const BrowserIndexedDB = { URL_SCHEME: 'indexeddb://' };
export const BrowserLocalStorage = { URL_SCHEME: 'localstorage://' };
export class BrowserIndexedDBManager {}
export class BrowserLocalStorageManager {}
export const ModelStoreManagerRegistry = {
  registerManager(): void {},
};
