// Which view shows each place. A capability replaces its ComingView entry with its own view.
import type { Component } from 'svelte';
import type { Place } from '../lib/state.svelte';
import SiteOverview from './SiteOverview.svelte';
import JobsView from './JobsView.svelte';
import ProvisioningView from './provisioning/ProvisioningView.svelte';
import ChecklistView from './checklist/ChecklistView.svelte';
import InventoryView from './inventory/InventoryView.svelte';
import FirmwareView from './firmware/FirmwareView.svelte';

export const placeViews: Record<Place, Component> = {
  overview: SiteOverview,
  inventory: InventoryView,
  provisioning: ProvisioningView,
  firmware: FirmwareView,
  checklist: ChecklistView,
  jobs: JobsView,
};
