using OrderFlow.SyncWorker;

// The OrderFlow sync worker: every symbol × timeframe from the feed into the chart store. See README.md.
return await SyncWorkerHost.RunAsync(args);
