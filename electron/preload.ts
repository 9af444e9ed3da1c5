// Runs sandboxed before the renderer: exposes the contract bridge as window.fieldkit, nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './shell/bridge';

contextBridge.exposeInMainWorld('fieldkit', createBridge(ipcRenderer));
