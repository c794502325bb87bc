import { z } from 'zod';

export const SegmentSchema = z
  .object({ name: z.string(), rule: z.string(), description: z.string().nullable() })
  .meta({ id: 'Segment' });
