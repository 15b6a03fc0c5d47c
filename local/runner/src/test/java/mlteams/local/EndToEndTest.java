package mlteams.local;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the end-to-end classes: each test gets an emptied moto account with the stack's resources deployed. */
abstract class EndToEndTest {

    protected WorkflowFixture account;

    @BeforeEach
    void deployTheStackIntoAnEmptyAccount() {
        account = new WorkflowFixture();
    }

    @AfterEach
    void closeTheAccount() {
        account.close();
    }
}
