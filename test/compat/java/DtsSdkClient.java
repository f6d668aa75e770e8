// Alibaba's DTS SDK: its AvroDeserializer reads the Record, AvroRecordParser gives the operation,
// names and schema, and DefaultValueDeserializer's value classes are what SDK users hold. Each
// value is printed as {cls, text, hex}: the class, what that class shows the user and its raw bytes.
import java.util.List;

import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import com.aliyun.dts.subscribe.clients.formats.avro.Record;
import com.aliyun.dts.subscribe.clients.record.AvroRecordParser;
import com.aliyun.dts.subscribe.clients.record.RecordField;
import com.aliyun.dts.subscribe.clients.record.RecordSchema;
import com.aliyun.dts.subscribe.clients.record.RowImage;
import com.aliyun.dts.subscribe.clients.record.value.DecimalNumeric;
import com.aliyun.dts.subscribe.clients.record.value.UnixTimestamp;
import com.aliyun.dts.subscribe.clients.record.value.Value;
import com.aliyun.dts.subscribe.clients.recordgenerator.AvroDeserializer;

final class DtsSdkClient implements CompatDecode.Client {
    private final AvroDeserializer deserializer = new AvroDeserializer();

    @Override
    public JSONObject decode(byte[] value) {
        Record record = deserializer.deserialize(value);
        RecordSchema schema = AvroRecordParser.getRecordSchema(record);
        JSONObject out = new JSONObject();
        out.put("operation", record.getOperation().name());
        out.put("sdkOperation", AvroRecordParser.getOperationType(record).name());
        out.put("objectName", record.getObjectName());
        out.put("database", schema.getDatabaseName().orElse(null));
        out.put("table", schema.getTableName().orElse(null));
        JSONArray fields = new JSONArray();
        for (RecordField field : schema.getFields()) {
            JSONObject f = new JSONObject();
            f.put("name", field.getFieldName());
            f.put("dataTypeNumber", field.getRawDataTypeNum());
            fields.add(f);
        }
        out.put("fields", fields);
        out.put("before", image(schema, AvroRecordParser.getRowImage(schema, record, true)));
        out.put("after", image(schema, AvroRecordParser.getRowImage(schema, record, false)));
        return out;
    }

    private static JSONObject image(RecordSchema schema, RowImage image) {
        if (image == null) return null;
        JSONObject row = new JSONObject();
        List<RecordField> fields = schema.getFields();
        for (int i = 0; i < fields.size(); i++) row.put(fields.get(i).getFieldName(), value(image.getValue(i)));
        return row;
    }

    private static JSONObject value(Value value) {
        if (value == null) return null;
        JSONObject out = new JSONObject();
        out.put("cls", value.getClass().getSimpleName());
        try {
            out.put("text", text(value));
        } catch (RuntimeException e) {
            // What an SDK user calling toString() on this value gets instead of a text.
            out.put("text", "!" + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Object data = value.getData();
        if (data instanceof java.nio.ByteBuffer) out.put("hex", CompatDecode.hex(CompatDecode.bytesOf((java.nio.ByteBuffer) data)));
        return out;
    }

    /** The value as the class renders it, except where toString() prints a DECIMAL in E notation or a TIMESTAMP in the JVM's zone. */
    private static String text(Value value) {
        if (value instanceof UnixTimestamp) {
            // Epoch seconds and microseconds: the instant the SDK holds, independent of the JVM zone.
            java.sql.Timestamp t = ((UnixTimestamp) value).toJdbcTimestamp();
            long seconds = Math.floorDiv(t.getTime(), 1000L);
            return seconds + "." + String.format("%06d", t.getNanos() / 1000);
        }
        if (value instanceof DecimalNumeric) return ((DecimalNumeric) value).getData().toPlainString();
        return value.toString();
    }
}
