/**
 * The signed deltas' media type: a device asks for them with `Accept` on
 * `GET /api/v1/device/policy` and the server answers in it (docs/delta-sync.md).
 */
export const DELTA_MEDIA_TYPE = 'application/vnd.palisade.policy-delta+json';
