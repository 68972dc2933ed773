// Vite turns `import x from './file?url'` into the URL of the file as built.
declare module '*?url' {
  const url: string;
  export default url;
}

// …and `import x from './worker.js?worker&url'` into the URL of the worker, bundled on its own.
declare module '*?worker&url' {
  const url: string;
  export default url;
}
