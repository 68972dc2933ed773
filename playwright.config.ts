import { defineConfig } from '@playwright/test';

// The e2e tests drive the real renderer in Debian's Chromium against the real data
// service, served by the harness (each test file starts its own on a free port).
// --enable-unsafe-swiftshader keeps WebGL (the asset map, maplibre) working with no GPU:
// Chromium is withdrawing its automatic fallback to SwiftShader, the software renderer.
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
  },
});
