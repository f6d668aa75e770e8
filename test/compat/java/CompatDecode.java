// Reads whole Kafka topics and prints, one JSON line per message, what a real client library
// makes of each value, so the TypeScript suite can hold every value against the server's own.
// Usage: java CompatDecode <brokers> <clients> <topics> [flink-schema-file], where <clients> is
// dts-sdk, canal, flink or a comma-separated list of them, and <topics> one topic or several,
// comma-separated: one JVM run decodes every message of every topic with every client.
// The clients are the published jars (Alibaba's DTS SDK, canal's FlatMessage with fastjson2,
// Flink's canal-json format); nothing here re-implements their decoding.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.alibaba.fastjson2.JSONObject;
import com.alibaba.fastjson2.JSONWriter;

public final class CompatDecode {
    interface Client {
        /** The decoded message as a JSON object; exceptions are reported per message, not fatal. */
        JSONObject decode(byte[] value) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) throw new IllegalArgumentException("usage: CompatDecode <brokers> <clients> <topics> [flink-schema-file]");
        Map<String, Client> clients = new LinkedHashMap<>();
        for (String name : args[1].split(",")) clients.put(name, client(name, args.length > 3 ? args[3] : null));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String topic : args[2].split(",")) records.addAll(readTopic(args[0], topic));
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JSONObject line = new JSONObject();
            line.put("topic", record.topic());
            line.put("partition", record.partition());
            line.put("offset", record.offset());
            line.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
            JSONObject decoded = new JSONObject();
            for (Map.Entry<String, Client> client : clients.entrySet()) {
                JSONObject result = new JSONObject();
                try {
                    result.put("message", client.getValue().decode(record.value()));
                } catch (Exception | LinkageError e) {
                    result.put("error", e.getClass().getName() + ": " + e.getMessage());
                }
                decoded.put(client.getKey(), result);
            }
            line.put("clients", decoded);
            // Nulls are written: a key whose value is null (canal's `old` for a column that was NULL) is data.
            System.out.println(line.toJSONString(JSONWriter.Feature.WriteNulls));
        }
    }

    static Client client(String name, String flinkSchemaFile) throws Exception {
        switch (name) {
            case "dts-sdk":
                return new DtsSdkClient();
            case "canal":
                return new CanalClient();
            case "flink":
                List<String[]> columns = Files.readAllLines(Paths.get(flinkSchemaFile)).stream()
                        .filter(l -> !l.isBlank()).map(l -> l.split(" ", 2)).collect(Collectors.toList());
                return new FlinkClient(columns);
            default:
                throw new IllegalArgumentException("unknown client " + name + " (dts-sdk, canal, flink)");
        }
    }

    /** Every message of every partition, from the beginning to the end offsets seen at start. */
    static List<ConsumerRecord<byte[], byte[]>> readTopic(String brokers, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", brokers);
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).sorted((a, b) -> a.partition() - b.partition())
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.currentTimeMillis() + 60_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("topic " + topic + " not read to its end in 60 s");
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        out.sort((a, b) -> a.partition() != b.partition() ? a.partition() - b.partition() : Long.compare(a.offset(), b.offset()));
        return out;
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) sb.append(String.format("%02X", b & 0xff));
        return sb.toString();
    }

    static byte[] bytesOf(java.nio.ByteBuffer buffer) {
        java.nio.ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
