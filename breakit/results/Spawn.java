/** The floor of any JVM tool that runs a command: start it (inheriting stdio), wait, exit with its status. */
public class Spawn {
    public static void main(String[] args) throws Exception {
        System.exit(new ProcessBuilder(args).inheritIO().start().waitFor());
    }
}
