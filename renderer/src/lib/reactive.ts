// Svelte's reactive collections, imported from one place (the import-order lint reads `svelte` and
// `svelte/reactivity` as one module).
export { SvelteSet, SvelteMap } from 'svelte/reactivity';
