import { InvalidMetricError, type MetricsWriter } from '@verdict/metrics';
import { uniqueName } from '../services';

/** The contract both stored MetricsWriter adapters pass (InfluxDB, SQL). */
export function metricsWriterContract(
  adapter: string,
  create: () => Promise<{ writer: MetricsWriter; cleanup: () => Promise<void> }>,
): void {
  describe(`MetricsWriter contract: ${adapter}`, () => {
    let writer: MetricsWriter;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ writer, cleanup } = await create());
    });
    afterEach(async () => cleanup());

    it('buffers points and makes them readable after flush, filtered by tags and time', async () => {
      const suite = uniqueName('suite');
      const t0 = new Date(Date.now() - 60_000);
      for (let i = 0; i < 10; i++) {
        writer.write({
          measurement: 'test_execution',
          tags: { suite_id: suite, test_id: `t${i % 2}`, branch: 'main' },
          fields: { duration: 10 + i, status: i % 3 === 0 ? 0 : 1, retries: 0 },
          timestamp: new Date(t0.getTime() + i * 1000),
        });
      }
      await writer.flush();
      const all = await writer.query({
        measurement: 'test_execution',
        from: t0,
        to: new Date(),
        tags: { suite_id: suite },
      });
      expect(all).toHaveLength(10);
      expect(all[0]).toEqual({
        measurement: 'test_execution',
        tags: { suite_id: suite, test_id: 't0', branch: 'main' },
        fields: { duration: 10, status: 0, retries: 0 },
        timestamp: t0,
      });
      const t1 = await writer.query({
        measurement: 'test_execution',
        from: t0,
        to: new Date(),
        tags: { suite_id: suite, test_id: 't1' },
      });
      expect(t1.map((p) => p.fields.duration)).toEqual([11, 13, 15, 17, 19]);
      const window = await writer.query({
        measurement: 'test_execution',
        from: new Date(t0.getTime() + 2000),
        to: new Date(t0.getTime() + 4000),
        tags: { suite_id: suite },
      });
      expect(window.map((p) => p.fields.duration)).toEqual([12, 13]);
    });

    it('flushes what is buffered on close', async () => {
      const suite = uniqueName('suite');
      const t0 = new Date(Date.now() - 1000);
      writer.write({
        measurement: 'execution_summary',
        tags: { suite_id: suite },
        fields: { pass_rate: 0.5, total: 2 },
        timestamp: t0,
      });
      await writer.close();
      const { writer: reader, cleanup: c2 } = await create();
      expect(
        (
          await reader.query({
            measurement: 'execution_summary',
            from: new Date(t0.getTime() - 1),
            to: new Date(),
            tags: { suite_id: suite },
          })
        ).map((p) => p.fields),
      ).toEqual([{ pass_rate: 0.5, total: 2 }]);
      await c2();
    });

    it('refuses a malformed point at write time', () => {
      expect(() =>
        writer.write({ measurement: 'Bad-Name', tags: {}, fields: { v: 1 }, timestamp: new Date() }),
      ).toThrow(InvalidMetricError);
      expect(() =>
        writer.write({ measurement: 'fleet', tags: {}, fields: {}, timestamp: new Date() }),
      ).toThrow(/at least one field/);
      expect(() =>
        writer.write({ measurement: 'fleet', tags: {}, fields: { cpu: NaN }, timestamp: new Date() }),
      ).toThrow(/finite/);
    });
  });
}
