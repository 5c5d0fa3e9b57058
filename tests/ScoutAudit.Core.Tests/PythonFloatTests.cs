namespace ScoutAudit.Core.Tests;

/// <summary>Expected texts are what CPython 3.11 prints for repr(value) and round(value, 2).</summary>
public class PythonFloatTests
{
    [Theory]
    [InlineData(3e-06, "3e-06")]
    [InlineData(1e-07, "1e-07")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(2.5e-300, "2.5e-300")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(123.456, "123.456")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e22, "1e+22")]
    [InlineData(0.1, "0.1")]
    [InlineData(123456780000000.0, "123456780000000.0")]
    public void FloatsAreWrittenAsPythonsRepr(double value, string expected) =>
        Assert.Equal(expected, PythonFloat.Format(value));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteFloatsHaveNoForm(double value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PythonFloat.Format(value));

    [Theory]
    [InlineData(2.675, 2.67)] // 2.675 is really 2.67499999...: Python rounds down
    [InlineData(66.666666, 66.67)]
    [InlineData(0.125, 0.12)] // an exact tie goes to even
    [InlineData(0.375, 0.38)]
    [InlineData(1.005, 1.0)]
    [InlineData(0.285, 0.28)]
    [InlineData(100.0 * 2 / 3, 66.67)]
    [InlineData(100.0, 100.0)]
    public void RoundingFollowsPython(double value, double expected) =>
        Assert.Equal(expected, PythonRound.ToDigits(value, 2));
}
