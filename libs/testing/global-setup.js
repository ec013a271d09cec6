// Jest global setup: finds the real servers for contract runs. A URL already exported wins;
// otherwise a server answering on its default local port is used. With a Docker engine,
// MongoDB and InfluxDB are started through testcontainers. Workers inherit the variables.
const net = require('node:net');
const { spawnSync } = require('node:child_process');

const DEFAULTS = [
  ['VERDICT_TEST_DATABASE_URL', 5432, 'postgres://postgres@127.0.0.1:5432/test'],
  ['VERDICT_TEST_REDIS_URL', 6379, 'redis://127.0.0.1:6379'],
  ['VERDICT_TEST_AMQP_URL', 5672, 'amqp://guest:guest@127.0.0.1:5672'],
  ['VERDICT_TEST_MONGO_URL', 27017, 'mongodb://127.0.0.1:27017'],
];

function answers(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

module.exports = async function globalSetup() {
  if (process.env.VERDICT_TEST_DISCOVER === 'off') return;
  for (const [variable, port, url] of DEFAULTS) {
    if (!process.env[variable] && (await answers(port))) process.env[variable] = url;
  }
  const docker = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
    timeout: 5000,
    encoding: 'utf8',
  });
  if (docker.status !== 0) return;
  const { GenericContainer, Wait } = require('testcontainers');
  globalThis.__verdictContainers = [];
  if (!process.env.VERDICT_TEST_MONGO_URL) {
    const mongo = await new GenericContainer('mongo:7').withExposedPorts(27017).start();
    globalThis.__verdictContainers.push(mongo);
    process.env.VERDICT_TEST_MONGO_URL = `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`;
  }
  if (!process.env.VERDICT_TEST_INFLUX_URL) {
    const influx = await new GenericContainer('influxdb:2.7')
      .withEnvironment({
        DOCKER_INFLUXDB_INIT_MODE: 'setup',
        DOCKER_INFLUXDB_INIT_USERNAME: 'verdict',
        DOCKER_INFLUXDB_INIT_PASSWORD: 'verdict-password',
        DOCKER_INFLUXDB_INIT_ORG: 'verdict',
        DOCKER_INFLUXDB_INIT_BUCKET: 'verdict',
        DOCKER_INFLUXDB_INIT_ADMIN_TOKEN: 'verdict-test-token',
      })
      .withExposedPorts(8086)
      .withWaitStrategy(Wait.forHttp('/health', 8086))
      .start();
    globalThis.__verdictContainers.push(influx);
    process.env.VERDICT_TEST_INFLUX_URL = `http://${influx.getHost()}:${influx.getMappedPort(8086)}`;
    process.env.VERDICT_TEST_INFLUX_ORG = 'verdict';
    process.env.VERDICT_TEST_INFLUX_BUCKET = 'verdict';
    process.env.VERDICT_TEST_INFLUX_TOKEN = 'verdict-test-token';
  }
};
