// Module SafeTensors — see DESIGN.md §2 for what it holds.
