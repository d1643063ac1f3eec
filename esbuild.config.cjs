// serverless-esbuild options for every function. The routing file (vigil.config.yaml, VIGIL_CONFIG, or the
// default policy) is validated here, so an invalid one fails `serverless package` and `deploy` with its file,
// line and field, and the validated config is baked into each bundle.
require('esbuild-register/dist/node').register({ target: 'node20' });
const { loadRouting } = require('./lib/routing/load');

module.exports = () => {
  const { config } = loadRouting(process.env);
  return {
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    target: 'node22',
    platform: 'node',
    mainFields: ['module', 'main'],
    exclude: [],
    packager: 'npm',
    define: {
      __VIGIL_ROUTING__: JSON.stringify(JSON.stringify(config)),
      // lets the bundler leave the routing file reader and its YAML parser out (lib/routing/load.ts)
      'process.env.VIGIL_ROUTING_BAKED': '"true"',
    },
  };
};
