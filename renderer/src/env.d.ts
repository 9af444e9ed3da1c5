/** True in builds made by `npm run dev:web`: the page reloads itself when the renderer is rebuilt. */
declare const __FIELDKIT_LIVE_RELOAD__: boolean;
