using System;
using System.Globalization;
using Samples.Neuron;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// (x + y) · z at x = -2, y = 5, z = -4.
var (q, dx, dy, dz) = SingleNeuron.AddMultiplyGradient(-2, 5, -4);
Console.WriteLine($"(x + y) * z = {q}; gradient [{dx}, {dy}, {dz}]");

// σ(a·x + b·y + c) at a = 1, b = 2, c = -3, x = -1, y = 3.
double a = 1, b = 2, c = -3, x = -1, y = 3;
var (value, da, db, dc, dxn, dyn) = SingleNeuron.ForwardNeuronGradient(a, b, c, x, y);
Console.WriteLine($"neuron output = {value:F4}");
Console.WriteLine($"gradient: a = {da:F3}, b = {db:F3}, c = {dc:F3}, x = {dxn:F3}, y = {dyn:F3}");

// One step of size 0.01 along the gradient raises the output.
const double step = 0.01;
a += step * da; b += step * db; c += step * dc; x += step * dxn; y += step * dyn;
Console.WriteLine($"after one step of {step}: output = {SingleNeuron.ForwardNeuron(a, b, c, x, y):F6}");
