namespace OrderFlow.Dbn;

/// <summary>
/// The <c>dbn</c> tool, callable in process: <c>Program.cs</c> calls <see cref="Run"/> with the console's streams,
/// tests with their own. Its behaviour is its command line (<c>dbn --help</c>).
/// </summary>
public static class DbnTool
{
    /// <summary>Runs the tool on <paramref name="args"/> as the command line would.</summary>
    /// <param name="args">The command-line arguments, e.g. <c>file.dbn.zst --json</c>.</param>
    /// <param name="stdout">Where records go (UTF-8 bytes).</param>
    /// <param name="stderr">Where errors and progress go.</param>
    /// <param name="openStdin">Opens standard input, for the file name <c>-</c>; null reads nothing.</param>
    /// <param name="stderrIsTerminal">Whether stderr is an interactive terminal (progress is shown for large inputs then).</param>
    /// <returns>0 on success, 1 for a bad or unreadable input (one error line says why), 2 for a bad command line.</returns>
    public static int Run(string[] args, Stream stdout, TextWriter stderr, Func<Stream>? openStdin = null, bool stderrIsTerminal = false) =>
        DbnCli.Run(args, stdout, stderr, openStdin, stderrIsTerminal);
}
