Console.WriteLine("dbn");
