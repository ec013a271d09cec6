module.exports = async function globalTeardown() {
  for (const c of globalThis.__verdictContainers || []) await c.stop().catch(() => undefined);
};
