package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReportTest {

    @Test
    void textReportHasOneLabelledLinePerSubject() {
        String report = TextReport.format(ResultFixtures.result(Workload.PINGPONG, ResultFixtures.clean()));
        assertEquals(List.of(
                "run          pingpong, 50 connections, 64-byte messages, transform upper (epoll, 2 threads)",
                "measured     2.0s after 1s warm-up",
                "connections  50 established, 0 connect errors, 0 lost",
                "throughput   5,000.0 messages/s, 0.32 MB/s",
                "latency      p50 0.6 us, p90 1.0 us, p99 1.1 us, p99.9 1.1 us, max 1.1 us (10,000 samples)",
                "verify       no failures, every reply byte checked against upper"), report.lines().toList());
    }

    @Test
    void textReportNamesTheFirstVerifyFailure() {
        String report = TextReport.format(ResultFixtures.result(Workload.PINGPONG, ResultFixtures.failing()));
        assertTrue(report.contains(
                "verify       2 failures, the first on connection 4 at byte 130 (expected 'A', got 'a')"), report);
    }

    @Test
    void textReportForChurnCountsConnectionsASecond() {
        String report = TextReport.format(ResultFixtures.result(Workload.CHURN, ResultFixtures.clean()));
        assertTrue(report.contains("50 parallel loops"), report);
        assertTrue(report.contains("throughput   5,000.0 connections/s (connect, one message, close)"), report);
    }

    @Test
    void textReportForAStreamHasNoLatency() {
        String report = TextReport.format(ResultFixtures.result(Workload.STREAM, ResultFixtures.clean()));
        assertTrue(report.contains("latency      not measured for a stream"), report);
    }

    @Test
    void jsonReportIsOneFlatObjectOnOneLine() {
        String json = JsonReport.format(ResultFixtures.result(Workload.PINGPONG, ResultFixtures.clean()));
        assertEquals(1, json.lines().count());
        Map<String, Object> report = FlatJson.parse(json);
        assertEquals("pingpong", report.get("pattern"));
        assertEquals(10_000.0, report.get("messages"));
        assertEquals(5_000.0, report.get("messages_per_s"));
        assertEquals(0.32, report.get("mb_per_s"));
        assertEquals(0.599, report.get("latency_p50_us"));
        assertEquals(true, report.get("ok"));
        assertNull(report.get("rate"));
        assertNull(report.get("first_failure_offset"));
        assertNull(report.get("connections_per_s"));
        assertTrue(report.containsKey("problem"));
    }

    @Test
    void jsonReportLocatesTheFirstVerifyFailureAndQuotesTheProblem() {
        Map<String, Object> report =
                FlatJson.parse(JsonReport.format(ResultFixtures.result(Workload.PINGPONG, ResultFixtures.failing())));
        assertEquals(2.0, report.get("verify_failures"));
        assertEquals(4.0, report.get("first_failure_connection"));
        assertEquals(130.0, report.get("first_failure_offset"));
        assertEquals(false, report.get("ok"));
        assertEquals("1 connect errors, the first: connection refused: /127.0.0.1:8080", report.get("problem"));
    }
}
