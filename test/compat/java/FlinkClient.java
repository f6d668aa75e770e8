// Flink's canal-json format (flink-json's CanalJsonDeserializationSchema) over a table declared
// as a Flink user would declare it for the MySQL table; each message becomes changelog rows
// (+I, -U/+U, -D). Values are printed in one neutral text form per Flink type.
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.alibaba.fastjson2.JSONArray;
import com.alibaba.fastjson2.JSONObject;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.canal.CanalJsonDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

final class FlinkClient implements CompatDecode.Client {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private final List<String> names = new ArrayList<>();
    private final List<LogicalType> types = new ArrayList<>();
    private final CanalJsonDeserializationSchema schema;

    FlinkClient(List<String[]> columns) throws Exception {
        ClassLoader loader = FlinkClient.class.getClassLoader();
        List<DataTypes.Field> fields = new ArrayList<>();
        for (String[] column : columns) {
            LogicalType type = LogicalTypeParser.parse(column[1], loader);
            names.add(column[0]);
            types.add(type);
            fields.add(DataTypes.FIELD(column[0], TypeConversions.fromLogicalToDataType(type)));
        }
        DataType row = DataTypes.ROW(fields.toArray(new DataTypes.Field[0]));
        // Defaults of the format's SQL options: 'canal-json.ignore-parse-errors' = false,
        // 'canal-json.timestamp-format.standard' = 'SQL'.
        // The produced type information is only reported back to a Flink job, never used to decode.
        schema = CanalJsonDeserializationSchema.builder(row, new ArrayList<>(), TypeInformation.of(RowData.class))
                .setIgnoreParseErrors(false).setTimestampFormat(TimestampFormat.SQL).build();
        schema.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(loader);
            }
        });
    }

    @Override
    public JSONObject decode(byte[] value) throws Exception {
        JSONArray rows = new JSONArray();
        schema.deserialize(value, new Collector<RowData>() {
            @Override
            public void collect(RowData row) {
                JSONObject out = new JSONObject();
                out.put("kind", row.getRowKind().shortString());
                JSONObject values = new JSONObject();
                for (int i = 0; i < names.size(); i++) values.put(names.get(i), row.isNullAt(i) ? null : text(row, i, types.get(i)));
                out.put("values", values);
                rows.add(out);
            }

            @Override
            public void close() {
            }
        });
        JSONObject out = new JSONObject();
        out.put("rows", rows);
        return out;
    }

    private static String text(RowData row, int i, LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN: return Boolean.toString(row.getBoolean(i));
            case TINYINT: return Byte.toString(row.getByte(i));
            case SMALLINT: return Short.toString(row.getShort(i));
            case INTEGER: return Integer.toString(row.getInt(i));
            case BIGINT: return Long.toString(row.getLong(i));
            case FLOAT: return Float.toString(row.getFloat(i));
            case DOUBLE: return Double.toString(row.getDouble(i));
            case DECIMAL: {
                org.apache.flink.table.types.logical.DecimalType d = (org.apache.flink.table.types.logical.DecimalType) type;
                DecimalData data = row.getDecimal(i, d.getPrecision(), d.getScale());
                return data.toBigDecimal().toPlainString();
            }
            case DATE: return LocalDate.ofEpochDay(row.getInt(i)).toString();
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                TimestampData data = row.getTimestamp(i, 6);
                return data.toLocalDateTime().format(TIMESTAMP);
            }
            case BINARY:
            case VARBINARY: return CompatDecode.hex(row.getBinary(i));
            default: return row.getString(i).toString();
        }
    }
}
