using OrderFlow.Dbn;

// dbn: prints a DBN file's metadata and records as JSON lines or CSV, or converts bars/trades to candle JSON.
// See DbnCli for the options; `dbn --help` prints them.
using var stdout = Console.OpenStandardOutput();
return DbnTool.Run(args, stdout, Console.Error, Console.OpenStandardInput, stderrIsTerminal: !Console.IsErrorRedirected);
