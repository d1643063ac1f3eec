// Stage `local` (the default when no --stage is given) is serverless.yml's stage for `invoke local` and the
// local stack: its queue URLs point at 127.0.0.1 and its secret id is empty. This plugin refuses to deploy it,
// before the AWS plugin makes any call, and has `package` say which stage it built.
const LOCAL_STAGE = 'local';

module.exports = class StageGuard {
  constructor(serverless, options, { log }) {
    const stage = serverless.getProvider('aws').getStage();
    const command = serverless.processedInput.commands.join(' ');
    // checked here, at load, because the AWS deploy plugin's own `initialize` hook already asks AWS for the account
    if (command.startsWith('deploy') && stage === LOCAL_STAGE) {
      throw new serverless.classes.Error(
        `refusing to ${command} stage ${LOCAL_STAGE}: it is the default when no --stage is given, and its queue URLs ` +
          'point at 127.0.0.1 with an empty secret id. Name the stage to deploy: serverless deploy --stage <name>',
        'VIGIL_LOCAL_STAGE_DEPLOY',
      );
    }
    this.hooks = {
      'after:package:finalize': () => {
        const region = serverless.getProvider('aws').getRegion();
        const where = options.package ?? '.serverless';
        if (stage === LOCAL_STAGE) {
          log.warning(
            `Packaged stage ${LOCAL_STAGE} (${region}) into ${where}: the default when no --stage is given, built for ` +
              'invoke local and the local stack (queue URLs on 127.0.0.1, no secret id). ' +
              'For AWS, package or deploy with --stage <name>.',
          );
        } else {
          log.notice(`Packaged stage ${stage} (${region}) into ${where}`);
        }
      },
    };
  }
};
