// canal's own message class, parsed with fastjson2 exactly as canal's Kafka client does
// (JSON.parseObject(bytes, FlatMessage.class)); the fields are printed as the class holds them.
import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONObject;
import com.alibaba.otter.canal.protocol.FlatMessage;

final class CanalClient implements CompatDecode.Client {
    @Override
    public JSONObject decode(byte[] value) {
        FlatMessage message = JSON.parseObject(value, FlatMessage.class);
        JSONObject out = new JSONObject();
        out.put("id", message.getId());
        out.put("database", message.getDatabase());
        out.put("table", message.getTable());
        out.put("type", message.getType());
        out.put("isDdl", message.getIsDdl());
        out.put("sql", message.getSql());
        out.put("pkNames", message.getPkNames());
        out.put("sqlType", message.getSqlType());
        out.put("mysqlType", message.getMysqlType());
        out.put("gtid", message.getGtid());
        out.put("es", message.getEs());
        out.put("ts", message.getTs());
        out.put("data", message.getData());
        out.put("old", message.getOld());
        return out;
    }
}
