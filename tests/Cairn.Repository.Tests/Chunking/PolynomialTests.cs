using Cairn.Repository.Chunking;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Repository.Tests.Chunking;

public sealed class PolynomialTests
{
    [Theory]
    [InlineData("3d85df715d4f9f")] // from a repository made by restic 0.14 (see ResticChunkerKnownAnswerTests)
    [InlineData("25b468838dcb75")] // the example in restic's design document
    public void Judges_polynomials_from_restic_configs_irreducible(string hex)
    {
        var polynomial = Polynomial.Parse(hex);
        polynomial.Degree.Should().Be(53);
        polynomial.IsIrreducible().Should().BeTrue();
    }

    [Theory]
    [InlineData(0b111UL, true)] // x^2 + x + 1
    [InlineData(0b1011UL, true)] // x^3 + x + 1
    [InlineData(0b1_0001_1011UL, true)] // x^8 + x^4 + x^3 + x + 1 (AES)
    [InlineData(0b101UL, false)] // x^2 + 1 = (x + 1)^2
    [InlineData(0b110UL, false)] // x^2 + x = x(x + 1)
    [InlineData(0b1_0000_0000UL, false)] // x^8
    [InlineData(1UL, false)] // a constant is not irreducible
    [InlineData(0UL, false)]
    public void Classifies_small_polynomials(ulong value, bool irreducible)
    {
        new Polynomial(value).IsIrreducible().Should().Be(irreducible);
    }

    [Fact]
    public void Rejects_a_product_of_two_irreducible_polynomials_of_degree_53()
    {
        // (x^2 + x + 1) times a degree-51 irreducible polynomial has degree 53 and no factor of degree 1.
        var random = new Random(7);
        Polynomial factor;
        do
        {
            factor = new Polynomial(((ulong)random.NextInt64() & ((1UL << 51) - 1)) | (1UL << 51) | 1);
        }
        while (!factor.IsIrreducible());

        var product = new Polynomial(CarrylessMultiply(factor.Value, 0b111));
        product.Degree.Should().Be(53);
        product.IsIrreducible().Should().BeFalse();
    }

    [Fact]
    public void Random_irreducible_polynomials_have_degree_53_and_are_irreducible()
    {
        for (var i = 0; i < 20; i++)
        {
            var polynomial = Polynomial.RandomIrreducible();
            polynomial.Degree.Should().Be(53);
            polynomial.IsIrreducible().Should().BeTrue();
        }
    }

    [Fact]
    public void Random_irreducible_polynomials_from_a_seeded_source_are_reproducible_and_varied()
    {
        var first = Polynomial.RandomIrreducible(new Random(42));
        Polynomial.RandomIrreducible(new Random(42)).Should().Be(first);
        Polynomial.RandomIrreducible(new Random(43)).Should().NotBe(first);
        first.IsIrreducible().Should().BeTrue();
    }

    [Fact]
    public void Finds_as_many_irreducible_polynomials_of_degree_53_as_the_counting_formula_predicts()
    {
        // About 1 in 53 polynomials of degree 53 is irreducible; among odd ones (the only candidates) about 2 in 53.
        var random = new Random(1);
        var hits = 0;
        const int Trials = 5300;
        for (var i = 0; i < Trials; i++)
        {
            var value = ((ulong)random.NextInt64() & ((1UL << 53) - 1)) | (1UL << 53) | 1;
            if (new Polynomial(value).IsIrreducible())
            {
                hits++;
            }
        }

        hits.Should().BeInRange(140, 260);
    }

    [Property(MaxTest = 100)]
    public Property No_product_of_two_polynomials_of_positive_degree_is_irreducible() =>
        Prop.ForAll(
            Gen.Choose(1, 26).SelectMany(_ => ArbMap.Default.GeneratorFor<ulong>(), (d, v) => (d, v))
                .SelectMany(_ => Gen.Choose(1, 26).SelectMany(_ => ArbMap.Default.GeneratorFor<ulong>(), (d, v) => (d, v)), (a, b) => (a, b))
                .ToArbitrary(),
            pair =>
            {
                var a = (pair.a.v & ((1UL << pair.a.d) - 1)) | (1UL << pair.a.d);
                var b = (pair.b.v & ((1UL << pair.b.d) - 1)) | (1UL << pair.b.d);
                return !new Polynomial(CarrylessMultiply(a, b)).IsIrreducible();
            });

    [Theory]
    [InlineData("3d85df715d4f9f", 0x3d85df715d4f9fUL)]
    [InlineData("22B3768AAAD597", 0x22b3768aaad597UL)]
    public void Parses_hex_without_a_prefix(string hex, ulong value)
    {
        Polynomial.Parse(hex).Value.Should().Be(value);
    }

    [Fact]
    public void Prints_lowercase_hex_as_restic_writes_it()
    {
        new Polynomial(0x22b3768aaad597UL).ToString().Should().Be("22b3768aaad597");
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x3d85df715d4f9f")]
    [InlineData("xyz")]
    [InlineData("10000000000000000")]
    public void Refuses_what_is_not_hex(string text)
    {
        var act = () => Polynomial.Parse(text);
        act.Should().Throw<FormatException>();
    }

    private static ulong CarrylessMultiply(ulong a, ulong b)
    {
        ulong product = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (((b >> bit) & 1) != 0)
            {
                product ^= a << bit;
            }
        }

        return product;
    }
}
