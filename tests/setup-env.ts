// Lambda runs Node 22; the SDK's notice about Node 20 is noise in tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
