// Dev machines and CI run Node 20 while Lambda runs 22+: the SDK's Node-22 notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// The handlers' EMF metric lines go to stdout; tests that check them switch them on (test/integration/metrics.test.ts).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
