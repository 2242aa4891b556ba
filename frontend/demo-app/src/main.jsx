import { createRoot } from "react-dom/client";
import "@aiw3/client/styles.css";
import "./app.css";
import { App } from "./App.jsx";

createRoot(document.getElementById("root")).render(<App />);
