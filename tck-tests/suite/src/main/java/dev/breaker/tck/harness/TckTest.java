package dev.breaker.tck.harness;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of every suite test: runs on the runner's container. Test methods take no parameters and
 * use no {@code @BeforeEach}/{@code @AfterEach} (isolating containers re-invoke the method alone).
 */
@ExtendWith(TckExtension.class)
@Timeout(60)
public abstract class TckTest {
}
