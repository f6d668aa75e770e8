// Decoding the messages a pipeline wrote (DTS Avro, Canal-JSON) back into readable records
// and change events: `dts tail` and the tests that check what landed in Kafka.
export { detectFormat, readableMessage, type MessageFormat } from "./readable.js";
export { canalMessageToEvents, decodeCanalJson, type FlatMessage } from "./canal-json.js";
export { decodeDtsAvro, dtsRecordToEvent, type DtsRecord } from "./dts-avro.js";
