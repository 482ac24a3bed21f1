using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OrderFlow.Benchmarks.Tracking;

/// <summary>
/// Finds the [Benchmark(Baseline = true)] methods of a benchmark assembly by reading its metadata (nothing is loaded
/// or run). BenchmarkDotNet's JSON reports do not say which method is the baseline, so the ratios need this.
/// </summary>
public static class BaselineMethodLocator
{
    public const string BenchmarkAttributeNamespace = "BenchmarkDotNet.Attributes";
    public const string BenchmarkAttributeName = "BenchmarkAttribute";

    public static BaselineMethods FromAssembly(string assemblyPath)
    {
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                throw new TrackingException($"{assemblyPath}: not a .NET assembly (no metadata)");
            }

            return Locate(pe.GetMetadataReader());
        }
        catch (FileNotFoundException ex)
        {
            throw new TrackingException($"benchmark assembly '{assemblyPath}' not found (build benchmarks/OrderFlow.Benchmarks first)", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new TrackingException($"benchmark assembly '{assemblyPath}' not found (build benchmarks/OrderFlow.Benchmarks first)", ex);
        }
        catch (BadImageFormatException ex)
        {
            throw new TrackingException($"{assemblyPath}: not a readable .NET assembly: {ex.Message}", ex);
        }
    }

    private static BaselineMethods Locate(MetadataReader reader)
    {
        // Baseline methods declared by each type...
        var declared = new Dictionary<TypeDefinitionHandle, List<string>>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            foreach (var methodHandle in reader.GetTypeDefinition(typeHandle).GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (IsBaselineBenchmark(reader, method))
                {
                    if (!declared.TryGetValue(typeHandle, out var names))
                    {
                        declared[typeHandle] = names = [];
                    }

                    names.Add(reader.GetString(method.Name));
                }
            }
        }

        // ...and inherited from base classes of the same assembly: BenchmarkDotNet reports them under the derived class.
        var found = new List<BaselineMethod>();
        foreach (var typeHandle in reader.TypeDefinitions)
        {
            var (ns, name) = NameOf(reader, typeHandle);
            var current = typeHandle;
            for (var depth = 0; !current.IsNil && depth < 64; depth++)
            {
                if (declared.TryGetValue(current, out var names))
                {
                    found.AddRange(names.Select(method => new BaselineMethod(ns, name, method)));
                }

                var baseType = reader.GetTypeDefinition(current).BaseType;
                current = baseType.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)baseType : default;
            }
        }

        return new BaselineMethods(found);
    }

    private static bool IsBaselineBenchmark(MetadataReader reader, MethodDefinition method)
    {
        foreach (var attributeHandle in method.GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(attributeHandle);
            if (!IsBenchmarkAttribute(reader, attribute))
            {
                continue;
            }

            var value = attribute.DecodeValue(AttributeTypeNames.Instance);
            if (value.NamedArguments.Any(argument => argument.Name == "Baseline" && argument.Value is true))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBenchmarkAttribute(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type;
        switch (attribute.Constructor.Kind)
        {
            case HandleKind.MemberReference:
                type = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
                break;
            case HandleKind.MethodDefinition:
                type = reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
                break;
            default:
                return false;
        }

        var (ns, name) = type.Kind switch
        {
            HandleKind.TypeReference => NameOf(reader, reader.GetTypeReference((TypeReferenceHandle)type)),
            HandleKind.TypeDefinition => NameOf(reader, (TypeDefinitionHandle)type),
            _ => ("", ""),
        };
        return ns == BenchmarkAttributeNamespace && name == BenchmarkAttributeName;
    }

    /// <summary>Namespace (that of the outermost type for nested types) and simple name without generic arity.</summary>
    private static (string Namespace, string Name) NameOf(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = BaselineMethods.SimpleTypeName(reader.GetString(type.Name));
        var outer = type;
        for (var depth = 0; outer.IsNested && depth < 64; depth++)
        {
            outer = reader.GetTypeDefinition(outer.GetDeclaringType());
        }

        return (reader.GetString(outer.Namespace), name);
    }

    private static (string Namespace, string Name) NameOf(MetadataReader reader, TypeReference type) =>
        (reader.GetString(type.Namespace), reader.GetString(type.Name));

    /// <summary>Names the types met while decoding attribute arguments; only the named bool argument matters.</summary>
    private sealed class AttributeTypeNames : ICustomAttributeTypeProvider<string>
    {
        public static readonly AttributeTypeNames Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSystemType() => "System.Type";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeDefinition(handle).Name);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            reader.GetString(reader.GetTypeReference(handle).Name);

        public string GetTypeFromSerializedName(string name) => name;

        // Enums from other assemblies cannot be resolved here; BenchmarkAttribute has none, int is the usual size.
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";
    }
}
