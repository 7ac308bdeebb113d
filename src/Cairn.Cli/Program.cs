Console.WriteLine("cairn (development)");
return 0;
