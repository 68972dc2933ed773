// The application menu: standard roles only, so editing shortcuts, zoom and full screen
// behave as on every other desktop app. Reload and developer tools only in development.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function installApplicationMenu(options: { isDevelopment: boolean; showDataFolder(): void }): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    { label: '&File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: '&Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: '&View',
      submenu: [
        ...(options.isDevelopment
          ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    ...(isMac ? [{ role: 'windowMenu' } as const] : []),
    {
      label: '&Help',
      role: 'help',
      // The data folder is what a worker copies to back up or hands to support.
      submenu: [{ label: 'Show Data Folder', click: options.showDataFolder }, ...(isMac ? [] : [{ role: 'about' } as const])],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
