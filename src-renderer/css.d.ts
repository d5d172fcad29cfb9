// Lets TypeScript accept the stylesheets main.tsx imports for their side effect; esbuild bundles them into app.css.
declare module '*.css';
