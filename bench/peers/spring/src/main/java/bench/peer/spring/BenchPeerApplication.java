package bench.peer.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Benchmark peer: the bench protocol (docs/benchmarks.md) on plain Spring WebSocket over Tomcat. */
@SpringBootApplication
public class BenchPeerApplication {

  public static void main(String[] args) {
    SpringApplication.run(BenchPeerApplication.class, args);
  }
}
