/** Imports point inward: http, cli, jobs → modules → domain; db and providers implement ports. */
module.exports = {
  forbidden: [
    { name: 'domain-is-pure', severity: 'error', from: { path: '^src/domain' }, to: { path: '^src/(?!domain)' } },
    { name: 'modules-not-outward', severity: 'error', from: { path: '^src/modules' }, to: { path: '^src/(http|cli|jobs)/' } },
    { name: 'db-not-outward', severity: 'error', from: { path: '^src/db' }, to: { path: '^src/(http|cli|jobs|modules)/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: { doNotFollow: { path: 'node_modules' }, tsConfig: { fileName: 'tsconfig.json' }, tsPreCompilationDeps: true },
};
