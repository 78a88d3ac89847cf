using AutoDiff.Generator.IR;

namespace AutoDiff.Generator.Model;

/// <summary>One type around a differentiable method, outermost first, as its partial declaration needs it.</summary>
/// <param name="Keyword">"class", "struct", "record" or "record struct".</param>
/// <param name="Name">The name with its type parameters, such as <c>Box&lt;T&gt;</c>.</param>
/// <param name="Modifiers">Modifiers every part must repeat ("static", "readonly", "ref"), space-separated, or empty.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name, string Modifiers);

/// <summary>
/// Everything the generator needs to emit one method's derivatives: a value with no Roslyn objects in it,
/// so that the incremental pipeline can cache it.
/// </summary>
/// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types around the method, outermost first.</param>
/// <param name="Accessibility">The method's accessibility keywords; the derivatives get the same.</param>
/// <param name="Method">The method lowered to IR.</param>
/// <param name="HintName">The generated file's name.</param>
internal sealed record DifferentiableMethodModel(
    string? Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string Accessibility,
    IrMethod Method,
    string HintName)
{
    /// <summary>
    /// For a [CustomDerivative] method: its rules are written by hand, <see cref="Method"/> has an empty body, and only
    /// the wrappers are generated.
    /// </summary>
    public CustomRules? Custom { get; init; }

    /// <summary>The method's identity (its documentation comment ID), which <see cref="SourceCallees"/> of callers name.</summary>
    public string Key { get; init; } = "";

    /// <summary>
    /// The [Differentiable] methods of this compilation that it calls: when one of them gets no derivatives, this
    /// method gets none either (its derivatives would call theirs).
    /// </summary>
    public EquatableArray<string> SourceCallees { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// False for an instance method of a class: its derivatives are instance methods too, and read the object's fields
    /// as constants (the object is not differentiated).
    /// </summary>
    public bool IsStatic { get; init; } = true;

    /// <summary>
    /// For a method that takes structs: its parameters as the user wrote them, and which parameters of the scalarised
    /// <see cref="Method"/> stand for each. Empty for a method whose parameters are all numbers and arrays of numbers.
    /// </summary>
    public EquatableArray<BoundaryParameter> Boundary { get; init; } = EquatableArray<BoundaryParameter>.Empty;

    /// <summary>The user's name of the method (<see cref="Method"/> is its scalarised form when it takes structs).</summary>
    public string UserName { get; init; } = "";

    /// <summary>
    /// True for an instance method of a struct: <see cref="Method"/> (static) takes the struct's numbers first, and the
    /// derivatives the user calls are instance methods, differentiated with respect to <c>this</c> too.
    /// </summary>
    public bool HasStructThis { get; init; }

    /// <summary>The containing type, fully qualified (<c>global::N.C</c>): how calls in IR name it.</summary>
    public string QualifiedType { get; init; } = "";

    /// <summary>
    /// True for a method the generator made itself (a directional derivative for nested differentiation): its derivatives
    /// are hidden from IntelliSense.
    /// </summary>
    public bool IsCompanion { get; init; }

    /// <summary>
    /// For a method that returns a struct: the struct. <see cref="Method"/> is then vector-valued, writing the struct's
    /// numbers into its last parameter, a span.
    /// </summary>
    public StructModel? ReturnStruct { get; init; }

    /// <summary>
    /// True when the method gets first-order derivatives only, whatever <c>AutoDiffSecondOrder</c> says: it calls a
    /// [Differentiable] method of another assembly that has no <c>FBackwardTangent</c> (ADIFF202), or (set by the
    /// generator's Accepted step) a method of this compilation that gets none.
    /// </summary>
    public bool FirstOrderOnly { get; init; }

    /// <summary>True when the method takes structs, so that <see cref="Method"/> is its scalarised form.</summary>
    public bool TakesStructs => Boundary.Count > 0;

    /// <summary>The generated methods' modifiers: the accessibility, and <c>static</c> for a static method.</summary>
    public string Modifiers => IsStatic ? Accessibility + " static" : Accessibility;
}

/// <summary>The hand-written rules of a [CustomDerivative] method.</summary>
/// <param name="PullbackRule">The user's <c>FBackward</c> lowered to IR, when <c>FBackwardTangent</c> is generated from it
/// (null when the user wrote <c>FBackwardTangent</c> too).</param>
internal sealed record CustomRules(IrMethod? PullbackRule);
