// The layer rules of README.md "How the code is laid out", as ESLint import-x/no-restricted-paths zones.
// A layer imports only from the layers below it; inside the core, a domain imports only lower domains.

/** The core's domains, bottom first. A domain may import only from domains on an earlier line. */
export const coreLevels = [
  ['util'],
  ['phone', 'workspace', 'secrets', 'jobs'],
  ['config', 'discovery'],
  ['inventory'],
  ['provisioning', 'security'],
  ['firmware'],
  ['checklist'],
];

/** Outer layers, top first: [layer, paths it must not import]. */
const outer = [
  ['electron/shell', ['electron/host', 'electron/cli', 'electron/cli.ts']],
  ['electron/main.ts', ['electron/host', 'electron/cli', 'electron/cli.ts']],
  ['electron/preload.ts', ['electron/core', 'electron/app', 'electron/host', 'electron/cli', 'electron/cli.ts']],
  ['electron/host', ['electron/shell', 'electron/cli', 'electron/cli.ts']],
  ['electron/cli', ['electron/shell', 'electron/host']],
  ['electron/cli.ts', ['electron/shell', 'electron/host']],
  ['electron/app', ['electron/shell', 'electron/host', 'electron/cli', 'electron/cli.ts']],
  ['electron/api', ['electron/app', 'electron/shell', 'electron/host', 'electron/cli', 'electron/cli.ts']],
  [
    'electron/core',
    ['electron/api', 'electron/app', 'electron/shell', 'electron/host', 'electron/cli', 'electron/cli.ts'],
  ],
];

const message = (what) => `${what} (README.md "Rules that keep it easy to change").`;

export const layerZones = [
  ...outer.map(([target, from]) => ({
    target: `./${target}`,
    from: from.map((f) => `./${f}`),
    message: message(`${target} may not import this layer`),
  })),
  ...coreLevels
    .flatMap((domains, level) =>
      domains.map((domain) => ({
        target: `./electron/core/${domain}`,
        from: coreLevels
          .slice(level)
          .flat()
          .filter((d) => d !== domain)
          .map((d) => `./electron/core/${d}`),
        message: message(
          `core/${domain} imports only lower core domains (${coreLevels.slice(0, level).flat().join(', ') || 'none'})`,
        ),
      })),
    )
    .filter((zone) => zone.from.length > 0),
  {
    target: './renderer',
    from: './electron',
    except: ['./api'],
    message: message('the renderer talks to Fieldkit only through the contract in electron/api'),
  },
  {
    target: './test/sim',
    from: './electron/core/phone',
    message: "The simulator is written independently of electron/core/phone so each can catch the other's mistakes.",
  },
];
