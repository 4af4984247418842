/**
 * The PostgreSQL NOTIFY channel on which ingest announces committed data. The payload is the
 * model's id (uuid). Ingest sends it inside the transaction that writes the model's rollups, so
 * listeners hear it only after COMMIT (and PostgreSQL folds identical payloads of one
 * transaction into one notification). Listeners re-read rollups; the payload carries no data.
 */
export const INGEST_NOTIFY_CHANNEL = "plumbline_ingest";
