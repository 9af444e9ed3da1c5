// Which view shows each place.
import SiteOverview from './overview/SiteOverview.svelte';
import JobsView from './jobs/JobsView.svelte';
import ProvisioningView from './provisioning/ProvisioningView.svelte';
import ChecklistView from './checklist/ChecklistView.svelte';
import InventoryView from './inventory/InventoryView.svelte';
import FirmwareView from './firmware/FirmwareView.svelte';
import type { Place } from '../lib/router';
import type { Component } from 'svelte';

export const placeViews: Record<Place, Component> = {
  overview: SiteOverview,
  inventory: InventoryView,
  provisioning: ProvisioningView,
  firmware: FirmwareView,
  checklist: ChecklistView,
  jobs: JobsView,
};
