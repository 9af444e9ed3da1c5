import { mount } from 'svelte';
import './styles.css';
import App from './App.svelte';
import { watchForRebuilds } from './lib/live-reload';

mount(App, { target: document.getElementById('app')! });
if (__FIELDKIT_LIVE_RELOAD__) watchForRebuilds();
